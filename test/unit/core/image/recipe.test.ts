import { describe, expect, it } from 'vitest';
import { baseImageAlias, baseImageRecipe } from '../../../../src/core/image/recipe.js';

describe('base image recipe', () => {
  it('carries the recipe version in the alias', () => {
    expect(baseImageAlias()).toMatch(/^coi-base-bookworm-[0-9a-f]{8}$/);
  });

  it('changes the alias when the recipe changes, so the image is rebuilt', () => {
    const changed = { ...baseImageRecipe, packages: [...baseImageRecipe.packages, 'jq'] };
    expect(baseImageAlias(changed)).not.toBe(baseImageAlias());
  });
});

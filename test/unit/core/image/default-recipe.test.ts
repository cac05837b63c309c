import { describe, expect, it } from 'vitest';
import {
  defaultImageRecipe,
  defaultImageRecipeFor,
} from '../../../../src/core/image/default-recipe.js';
import { recipeHash } from '../../../../src/core/image/recipe.js';

const node = defaultImageRecipe.npmPackages?.[0];

describe('coi-default recipe and [container.build] agents', () => {
  it('unset installs claude, opencode and pi: the recipe coi-default was built from before agents existed', () => {
    expect(defaultImageRecipeFor().npmPackages).toEqual([
      node,
      '@anthropic-ai/claude-code',
      'opencode-ai',
      '@mariozechner/pi-coding-agent',
    ]);
  });

  it('the default set written out, in any order or twice, is the same recipe', () => {
    const hash = recipeHash(defaultImageRecipeFor());
    expect(recipeHash(defaultImageRecipeFor(['claude', 'opencode', 'pi']))).toBe(hash);
    expect(recipeHash(defaultImageRecipeFor(['pi', 'claude', 'opencode', 'pi']))).toBe(hash);
  });

  it('codex and omp are opt-in, installed after the default ones; omp brings Bun', () => {
    expect(defaultImageRecipeFor(['omp', 'codex', 'claude']).npmPackages).toEqual([
      node,
      '@anthropic-ai/claude-code',
      '@openai/codex',
      'bun',
      '@oh-my-pi/pi-coding-agent@18.2.3',
    ]);
    expect(recipeHash(defaultImageRecipeFor([...['claude', 'opencode', 'pi'], 'codex']))).not.toBe(
      recipeHash(defaultImageRecipeFor()),
    );
  });

  it('an empty list installs Node.js and no agent', () => {
    expect(defaultImageRecipeFor([]).npmPackages).toEqual([node]);
  });

  it('changes nothing but the npm packages', () => {
    const { npmPackages: _a, ...withCodex } = defaultImageRecipeFor(['codex']);
    const { npmPackages: _b, ...unset } = defaultImageRecipeFor();
    expect(withCodex).toEqual(unset);
  });
});

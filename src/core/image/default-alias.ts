/** The image `coi shell` starts by default (apart from its recipe: flag definitions need only this). */
export const DEFAULT_IMAGE_ALIAS = 'coi-default';

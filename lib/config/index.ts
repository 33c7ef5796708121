/** Profiles and config resolution. */
export * from './profiles';
export * from './resolve';

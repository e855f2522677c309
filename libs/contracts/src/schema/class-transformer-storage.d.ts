// class-transformer ships the types of its metadata storage beside the module, not under its path.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}

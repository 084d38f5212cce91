export { readImageSettings } from './imagesConfig';

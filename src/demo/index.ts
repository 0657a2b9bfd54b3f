export { type DemoRespondent, generatePanel, type PanelOptions } from './generate-panel.js';
export { PROFILES, type Profile } from './profile-model.js';
export { type Random, seededRandom } from './random.js';

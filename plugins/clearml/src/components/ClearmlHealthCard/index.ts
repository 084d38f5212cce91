export { ClearmlHealthCard } from './ClearmlHealthCard';
export type { ClearmlHealthCardProps } from './ClearmlHealthCard';

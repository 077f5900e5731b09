export { useExternalStore, type ExternalStore } from './useExternalStore.ts'

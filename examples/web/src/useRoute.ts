import { useSyncExternalStore } from 'react'

/** The app's screens; the URL hash names the current one (`#/live`). */
export const ROUTES = ['sign-in', 'sign-up', 'live', 'playlist', 'history', 'curator'] as const

export type Route = (typeof ROUTES)[number]

const DEFAULT_ROUTE: Route = 'live'

function isRoute(value: string): value is Route {
  return (ROUTES as readonly string[]).includes(value)
}

function currentRoute(): Route {
  const name = window.location.hash.replace(/^#\/?/, '')
  return isRoute(name) ? name : DEFAULT_ROUTE
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

/** The screen the URL names; re-renders on navigation (back and forward included). */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, currentRoute, () => DEFAULT_ROUTE)
}

/** Goes to `route`, adding a history entry. */
export function navigate(route: Route): void {
  window.location.hash = `#/${route}`
}

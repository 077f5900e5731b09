import { useExternalStore } from '@moodlens/react'
import { lazy, Suspense, useEffect, type ReactElement } from 'react'
import type { User } from './api/createApiClient.ts'
import type { HistoryResponse } from './api/types.ts'
import { useServices } from './appContext.ts'
import { AuthPage } from './pages/AuthPage.tsx'
import { CuratorPage } from './pages/CuratorPage.tsx'
import { HistoryPage } from './pages/HistoryPage.tsx'
import { PlaylistPage } from './pages/PlaylistPage.tsx'
import { navigate, useRoute, type Route } from './useRoute.ts'

// TF.js, the backends and the models load only with the live view, not before signing in.
const LivePage = lazy(() => import('./pages/LivePage.tsx'))

const TABS: readonly { readonly route: Route; readonly label: string }[] = [
  { route: 'live', label: 'Live' },
  { route: 'playlist', label: 'Playlist' },
  { route: 'history', label: 'History' },
  { route: 'curator', label: 'Curator' },
]

function Page({ route, user }: { route: Route; user: User }): ReactElement {
  switch (route) {
    case 'playlist':
      return <PlaylistPage />
    case 'history':
      return <HistoryPage />
    case 'curator':
      return <CuratorPage user={user} />
    default:
      return (
        <Suspense
          fallback={
            <p role="status" className="muted">
              Loading the live view…
            </p>
          }
        >
          <LivePage />
        </Suspense>
      )
  }
}

/** The app: signed out, the sign-in and sign-up forms; signed in, the four screens. */
export function App(): ReactElement {
  const { api, reporter, channel, moods } = useServices()
  const auth = useExternalStore(api)
  const route = useRoute()

  useEffect(() => {
    void api.restore()
  }, [api])

  const signedIn = auth.status === 'signed-in'
  useEffect(() => {
    if (!signedIn) return
    const stop = reporter.start()
    return () => {
      stop()
      channel.reset()
    }
  }, [signedIn, reporter, channel])

  // After a reload the playlist continues from the last mood the server saved.
  useEffect(() => {
    if (!signedIn) return
    let live = true
    channel
      .get<HistoryResponse>('/history?limit=1')
      .then(({ moods: [last] }) => {
        if (live && last !== undefined && moods.getSnapshot().current === undefined) {
          moods.set(last.probabilities, 'saved', {
            emotion: last.emotion,
            at: Date.parse(last.createdAt),
          })
        }
      })
      .catch(() => {
        // Not fatal: the playlist then asks for a mood.
      })
    return () => {
      live = false
    }
  }, [signedIn, channel, moods])

  useEffect(() => {
    if (auth.status === 'signed-out' && route !== 'sign-in' && route !== 'sign-up') {
      navigate('sign-in')
    }
  }, [auth.status, route])

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/live">
          moodlens
        </a>
        {auth.status === 'signed-in' && (
          <>
            <nav className="tabs" aria-label="Main">
              {TABS.map((tab) => (
                <a
                  key={tab.route}
                  href={`#/${tab.route}`}
                  aria-current={route === tab.route ? 'page' : undefined}
                >
                  {tab.label}
                </a>
              ))}
            </nav>
            <div className="account">
              <span className="email">{auth.user.email}</span>
              {auth.user.roles.map((role) => (
                <span key={role} className="role" title={`Role: ${role}`}>
                  {role}
                </span>
              ))}
              <button type="button" onClick={() => void api.logout()}>
                Sign out
              </button>
            </div>
          </>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {auth.status === 'restoring' ? (
          <p role="status" className="muted">
            Loading…
          </p>
        ) : auth.status === 'signed-out' ? (
          <AuthPage mode={route === 'sign-up' ? 'sign-up' : 'sign-in'} />
        ) : (
          <Page route={route} user={auth.user} />
        )}
      </main>
    </>
  )
}

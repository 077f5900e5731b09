import { useId, useState, type FormEvent, type ReactElement } from 'react'
import { describeError } from '../api/describeError.ts'
import { useServices } from '../appContext.ts'
import { navigate } from '../useRoute.ts'

const MIN_PASSWORD_LENGTH = 10

/** Sign in, or create an account (`mode: 'sign-up'`). */
export function AuthPage({ mode }: { mode: 'sign-in' | 'sign-up' }): ReactElement {
  const { api } = useServices()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const errorId = useId()
  const signUp = mode === 'sign-up'

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (signUp && password.length < MIN_PASSWORD_LENGTH) {
      setError(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`)
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      if (signUp) await api.register(email.trim(), password)
      else await api.login(email.trim(), password)
      navigate('live')
    } catch (caught) {
      setError(describeError(caught))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card auth-card" aria-labelledby="auth-title">
      <h1 id="auth-title">{signUp ? 'Create your account' : 'Sign in'}</h1>
      <p className="muted">
        moodlens reads the mood on your face, on this device, and plays music that fits it.
      </p>
      <form className="stack" onSubmit={(event) => void submit(event)}>
        <label className="field">
          Email
          <input
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-describedby={error ? errorId : undefined}
          />
        </label>
        <label className="field">
          Password
          <input
            type="password"
            autoComplete={signUp ? 'new-password' : 'current-password'}
            required
            minLength={signUp ? MIN_PASSWORD_LENGTH : undefined}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-describedby={error ? errorId : undefined}
          />
        </label>
        {signUp && (
          <p className="muted">
            New accounts are <span className="role">listener</span>s: they get playlists and give
            feedback. An admin can make you a <span className="role">curator</span>, who manages the
            music catalogue.
          </p>
        )}
        {error && (
          <p className="alert" role="alert" id={errorId}>
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Please wait…' : signUp ? 'Create account' : 'Sign in'}
        </button>
      </form>
      <p>
        {signUp ? (
          <>
            Already have an account? <a href="#/sign-in">Sign in</a>
          </>
        ) : (
          <>
            New here? <a href="#/sign-up">Create an account</a>
          </>
        )}
      </p>
    </section>
  )
}

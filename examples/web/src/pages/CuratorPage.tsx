import { useState, type FormEvent, type ReactElement } from 'react'
import type { User } from '../api/createApiClient.ts'
import { describeError } from '../api/describeError.ts'
import type { ImportResponse } from '../api/types.ts'
import { useServices } from '../appContext.ts'
import { AccountsPanel } from '../components/AccountsPanel.tsx'

// Matches the server's body limit for imports, checked here to fail before a long upload.
const MAX_CSV_BYTES = 10 * 1024 * 1024

type Outcome =
  | { readonly status: 'idle' | 'uploading' }
  | { readonly status: 'done'; readonly result: ImportResponse }
  | { readonly status: 'error'; readonly message: string; readonly rows: ImportResponse['errors'] }

/** Curators import a CSV catalogue and see which rows were refused, and why. */
export function CuratorPage({ user }: { user: User }): ReactElement {
  const { api } = useServices()
  const [file, setFile] = useState<File | undefined>()
  const [outcome, setOutcome] = useState<Outcome>({ status: 'idle' })
  const allowed = user.roles.includes('curator') || user.roles.includes('admin')
  const admin = user.roles.includes('admin')

  if (!allowed) {
    return (
      <section className="card">
        <h1>Catalogue</h1>
        <p>
          Importing music needs the <span className="role">curator</span> role. You are signed in as{' '}
          {user.roles.map((role) => `a ${role}`).join(' and ')}.
        </p>
        <p className="muted">
          Whoever runs the server can grant it: stop the server, run{' '}
          <code>npm run grant-role -w @moodlens/example-server -- {user.email} curator</code>, start
          it again and sign in again.
        </p>
      </section>
    )
  }

  const upload = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (file === undefined) return
    if (file.size > MAX_CSV_BYTES) {
      setOutcome({ status: 'error', message: 'That file is larger than 10 MB.', rows: [] })
      return
    }
    setOutcome({ status: 'uploading' })
    try {
      const result = await api.request<ImportResponse>('POST', '/tracks/import', {
        body: file,
        contentType: 'text/csv',
      })
      setOutcome({ status: 'done', result })
    } catch (error) {
      const rows = (error as { problem?: { errors?: unknown } }).problem?.errors
      setOutcome({
        status: 'error',
        message: describeError(error),
        rows: Array.isArray(rows) ? (rows as ImportResponse['errors']) : [],
      })
    }
  }

  const rows =
    outcome.status === 'done'
      ? outcome.result.errors
      : outcome.status === 'error'
        ? outcome.rows
        : []
  return (
    <>
      <h1>Catalogue</h1>
      <section className="card" aria-labelledby="import-title">
        <h2 id="import-title">Import tracks from a CSV file</h2>
        <p className="muted">
          One row per track with <code>track_id</code>, <code>track_name</code>,{' '}
          <code>track_artist</code> and the audio features (valence, energy, danceability, …), as in
          Spotify's export. Tracks with a known id are updated.
        </p>
        <form className="stack" onSubmit={(event) => void upload(event)}>
          <label className="field">
            CSV file
            <input
              type="file"
              accept=".csv,text/csv"
              required
              onChange={(event) => setFile(event.target.files?.[0])}
            />
          </label>
          <button
            className="primary"
            type="submit"
            disabled={!file || outcome.status === 'uploading'}
          >
            {outcome.status === 'uploading' ? 'Importing…' : 'Import'}
          </button>
        </form>
        {outcome.status === 'done' && (
          <p className="notice" role="status">
            Read {outcome.result.rows} rows: {outcome.result.inserted} new tracks,{' '}
            {outcome.result.updated} updated
            {outcome.result.duplicates > 0 && `, ${outcome.result.duplicates} repeated ids skipped`}
            {outcome.result.errors.length > 0 &&
              `, ${outcome.result.errors.length} ${outcome.result.errors.length === 1 ? 'row' : 'rows'} refused (listed below)`}
            .
          </p>
        )}
        {outcome.status === 'error' && (
          <p className="alert" role="alert">
            {outcome.message}
          </p>
        )}
      </section>
      {rows.length > 0 && (
        <section className="card" aria-labelledby="rows-title">
          <h2 id="rows-title">Refused rows</h2>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.line} data-testid="import-error">
                    <td>{row.line}</td>
                    <td>{row.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {admin && <AccountsPanel me={user} />}
    </>
  )
}

import { useEffect, useState, type ReactElement } from 'react'
import type { Role, User } from '../api/createApiClient.ts'
import { describeError } from '../api/describeError.ts'
import { useServices } from '../appContext.ts'

const ROLES: readonly Role[] = ['listener', 'curator', 'admin']

interface Account extends User {
  readonly disabled: boolean
  readonly createdAt: string
}

interface AccountList {
  readonly items: readonly Account[]
  readonly total: number
}

/** Admins: every account with its roles, which they can change (the server keeps one admin). */
export function AccountsPanel({ me }: { me: User }): ReactElement {
  const { api } = useServices()
  const [query, setQuery] = useState('')
  const [list, setList] = useState<AccountList | undefined>()
  const [message, setMessage] = useState<{ kind: 'notice' | 'alert'; text: string } | undefined>()
  const [reloads, setReloads] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    const search = query.trim() === '' ? '' : `&q=${encodeURIComponent(query.trim())}`
    api
      .request<AccountList>('GET', `/users?limit=100${search}`, { signal: controller.signal })
      .then((result) => {
        if (!controller.signal.aborted) setList(result)
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setMessage({ kind: 'alert', text: describeError(error) })
      })
    return () => controller.abort()
  }, [api, query, reloads])

  const setRoles = async (account: Account, roles: readonly Role[]): Promise<void> => {
    setMessage(undefined)
    try {
      await api.request('PATCH', `/users/${account.id}`, { json: { roles } })
      setMessage({
        kind: 'notice',
        text: `${account.email} is now ${roles.join(' and ')}. They see the change when they next sign in.`,
      })
      setReloads((count) => count + 1)
    } catch (error) {
      setMessage({ kind: 'alert', text: describeError(error) })
    }
  }

  return (
    <section className="card" aria-labelledby="accounts-title">
      <h2 id="accounts-title">
        Accounts <span className="role">admin</span>
      </h2>
      <label className="field">
        Find by email
        <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      </label>
      {message && (
        <p className={message.kind} role={message.kind === 'alert' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {list === undefined ? (
        <p className="muted" role="status">
          Loading accounts…
        </p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Accounts and their roles</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                {ROLES.map((role) => (
                  <th scope="col" key={role}>
                    {role}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.items.map((account) => (
                <tr key={account.id} data-testid="account-row">
                  <td>
                    {account.email}
                    {account.id === me.id && ' (you)'}
                    {account.disabled && ' (disabled)'}
                  </td>
                  {ROLES.map((role) => {
                    const has = account.roles.includes(role)
                    const next = has
                      ? account.roles.filter((r) => r !== role)
                      : ROLES.filter((r) => r === role || account.roles.includes(r))
                    return (
                      <td key={role}>
                        <input
                          type="checkbox"
                          checked={has}
                          disabled={next.length === 0}
                          aria-label={`${account.email} is ${role === 'admin' ? 'an' : 'a'} ${role}`}
                          onChange={() => void setRoles(account, next)}
                        />
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          {list.total > list.items.length && (
            <p className="muted">
              Showing {list.items.length} of {list.total}: search to find others.
            </p>
          )}
        </div>
      )}
    </section>
  )
}

import { defineRoles, type Policy } from '@moodlens/crypto'

/** The roles a user can hold, least to most privileged. */
export const ROLES: readonly ['listener', 'curator', 'admin'] = ['listener', 'curator', 'admin']

/** A role name. */
export type Role = (typeof ROLES)[number]

/** A permission a route can require. */
export type Permission =
  | 'profile:read'
  | 'session:create'
  | 'emotions:detect'
  | 'moods:write'
  | 'recommendations:read'
  | 'feedback:write'
  | 'history:read'
  | 'tracks:read'
  | 'tracks:write'
  | 'users:read'
  | 'users:write'

/**
 * Who may do what. Every route names one permission (or `'public'`); the server refuses to start
 * if a route under `/api` names none, so no route can forget its check.
 */
export const policy: Policy<Role, Permission> = defineRoles({
  listener: [
    'profile:read',
    'session:create',
    'emotions:detect',
    'moods:write',
    'recommendations:read',
    'feedback:write',
    'history:read',
    'tracks:read',
  ],
  curator: { inherits: ['listener'], permissions: ['tracks:write'] },
  admin: { inherits: ['curator'], permissions: ['users:read', 'users:write'] },
})

import { ForbiddenError } from './ForbiddenError.ts'

/**
 * The wildcard permission: a role granted `'*'` may do everything, including permissions added
 * later.
 *
 * @example
 * ```ts
 * import { ALL_PERMISSIONS, defineRoles } from '@moodlens/crypto'
 *
 * const policy = defineRoles({ admin: [ALL_PERMISSIONS] })
 * ```
 */
export const ALL_PERMISSIONS = '*'

/**
 * How one role is defined: a list of permissions, or an object that also names the roles it
 * inherits every permission from. `TRole` is the union of role names, so `inherits` can only
 * name roles that exist.
 *
 * @example
 * ```ts
 * import type { RoleDefinition } from '@moodlens/crypto'
 *
 * const listener: RoleDefinition = ['tracks:read']
 * const curator: RoleDefinition<'listener'> = {
 *   inherits: ['listener'],
 *   permissions: ['playlists:write'],
 * }
 * ```
 */
export type RoleDefinition<TRole extends string = string> =
  | readonly string[]
  | {
      readonly inherits?: readonly TRole[]
      readonly permissions?: readonly string[]
    }

/**
 * A map from role names to {@link RoleDefinition}s, where `inherits` may only name keys of the
 * same map. Used as the constraint of {@link defineRoles}.
 *
 * @example
 * ```ts
 * import type { RoleDefinitions } from '@moodlens/crypto'
 *
 * const roles = {
 *   listener: ['tracks:read'],
 *   curator: { inherits: ['listener'], permissions: ['playlists:write'] },
 * } as const satisfies RoleDefinitions<{ listener: unknown; curator: unknown }>
 * ```
 */
export type RoleDefinitions<TDefinitions> = {
  readonly [TRole in keyof TDefinitions]: RoleDefinition<Extract<keyof TDefinitions, string>>
}

/**
 * The permission strings one {@link RoleDefinition} names directly (not inherited ones), as a
 * union of literal types.
 *
 * @example
 * ```ts
 * import type { RolePermissions } from '@moodlens/crypto'
 *
 * type T = RolePermissions<{ inherits: ['listener']; permissions: ['playlists:write'] }>
 * // 'playlists:write'
 * ```
 */
export type RolePermissions<TDefinition> = TDefinition extends readonly (infer TPermission extends
  string)[]
  ? TPermission
  : TDefinition extends { readonly permissions: readonly (infer TPermission extends string)[] }
    ? TPermission
    : never

/**
 * The union of permission strings named in role definitions, without the `'*'` wildcard; plain
 * `string` when the definitions name none (only wildcards), or when they are not literal types.
 *
 * @example
 * ```ts
 * import type { PermissionsOf } from '@moodlens/crypto'
 *
 * type T = PermissionsOf<{ listener: ['tracks:read']; curator: { permissions: ['x'] } }>
 * // 'tracks:read' | 'x'
 * ```
 */
export type PermissionsOf<TDefinitions> = [
  Exclude<
    { [TRole in keyof TDefinitions]: RolePermissions<TDefinitions[TRole]> }[keyof TDefinitions],
    typeof ALL_PERMISSIONS
  >,
] extends [never]
  ? string
  : Exclude<
      { [TRole in keyof TDefinitions]: RolePermissions<TDefinitions[TRole]> }[keyof TDefinitions],
      typeof ALL_PERMISSIONS
    >

/**
 * A compiled role-based access policy, made by {@link defineRoles}. Roles usually come from a
 * verified token's `roles` claim, so they are plain strings: roles the policy does not define
 * grant nothing.
 *
 * @example
 * ```ts
 * import { defineRoles, type Policy } from '@moodlens/crypto'
 *
 * const policy: Policy<'listener' | 'admin', 'tracks:read'> = defineRoles({
 *   listener: ['tracks:read'],
 *   admin: ['*'],
 * })
 * policy.can(['listener'], 'tracks:read') // true
 * ```
 */
export interface Policy<TRole extends string, TPermission extends string> {
  /** The roles the policy defines, in definition order. */
  readonly roles: readonly TRole[]
  /**
   * Whether any of `roles` grants `permission`, directly, through inheritance or through `'*'`.
   *
   * @throws `TypeError` when `roles` is not a string or an array of strings, or `permission`
   * is not a non-empty string.
   */
  can(roles: string | readonly string[], permission: TPermission): boolean
  /**
   * Does nothing when {@link Policy.can} is true, else throws {@link ForbiddenError}
   * (`ERR_FORBIDDEN`).
   */
  assert(roles: string | readonly string[], permission: TPermission): void
}

/**
 * Defines roles, their permissions and what they inherit, and returns a {@link Policy} that
 * answers "may these roles do this?". Inheritance is resolved once, here: an inherited role's
 * permissions, and those it inherits in turn, all count. Permission names are inferred as
 * literal types, so a typo in `can('...')` is a compile error.
 *
 * @throws `TypeError` naming the offending role when a definition is malformed, inherits a role
 * that is not defined, or inheritance forms a cycle (`a -> b -> a`).
 *
 * @example
 * ```ts
 * import { defineRoles } from '@moodlens/crypto'
 *
 * const policy = defineRoles({
 *   listener: ['tracks:read', 'moods:write'],
 *   curator: { inherits: ['listener'], permissions: ['playlists:write'] },
 *   admin: ['*'],
 * })
 * policy.can(['curator'], 'tracks:read') // true (inherited)
 * policy.can(['listener'], 'playlists:write') // false
 * policy.assert(claims.roles, 'playlists:write') // throws ForbiddenError unless granted
 * ```
 */
export function defineRoles<const TDefinitions extends RoleDefinitions<TDefinitions>>(
  definitions: TDefinitions,
): Policy<Extract<keyof TDefinitions, string>, PermissionsOf<TDefinitions>> {
  if (typeof definitions !== 'object' || definitions === null || Array.isArray(definitions)) {
    throw new TypeError('definitions must be an object mapping role names to their permissions')
  }
  const parsed = new Map<string, { inherits: readonly string[]; permissions: readonly string[] }>()
  for (const [role, definition] of Object.entries(definitions as Record<string, unknown>)) {
    parsed.set(role, parseDefinition(role, definition))
  }
  for (const [role, { inherits }] of parsed) {
    for (const parent of inherits) {
      if (!parsed.has(parent)) {
        throw new TypeError(`definitions.${role}.inherits: "${parent}" is not a defined role`)
      }
    }
  }

  const granted = new Map<string, ReadonlySet<string>>()
  const resolving: string[] = []
  const resolve = (role: string): ReadonlySet<string> => {
    const done = granted.get(role)
    if (done) return done
    const at = resolving.indexOf(role)
    if (at !== -1) {
      const cycle = [...resolving.slice(at), role].join(' -> ')
      throw new TypeError(`definitions.${role}.inherits: inheritance cycle ${cycle}`)
    }
    resolving.push(role)
    const { inherits, permissions } = parsed.get(role)!
    const all = new Set(permissions)
    for (const parent of inherits) for (const permission of resolve(parent)) all.add(permission)
    resolving.pop()
    granted.set(role, all)
    return all
  }
  for (const role of parsed.keys()) resolve(role)

  const can = (roles: string | readonly string[], permission: string): boolean => {
    if (typeof permission !== 'string' || permission === '') {
      throw new TypeError('permission must be a non-empty string')
    }
    for (const role of toRoleList(roles)) {
      const permissions = granted.get(role)
      if (permissions && (permissions.has(permission) || permissions.has(ALL_PERMISSIONS))) {
        return true
      }
    }
    return false
  }
  return Object.freeze({
    roles: Object.freeze([...parsed.keys()]) as readonly Extract<keyof TDefinitions, string>[],
    can,
    assert(roles: string | readonly string[], permission: string): void {
      if (!can(roles, permission)) throw new ForbiddenError(permission)
    },
  })
}

function parseDefinition(
  role: string,
  definition: unknown,
): { inherits: readonly string[]; permissions: readonly string[] } {
  if (role === '') throw new TypeError('definitions: role names must not be empty')
  if (Array.isArray(definition)) {
    return { inherits: [], permissions: parseNames(definition, `definitions.${role}`) }
  }
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(
      `definitions.${role} must be an array of permissions or { inherits?, permissions? }`,
    )
  }
  for (const key of Object.keys(definition)) {
    if (key !== 'inherits' && key !== 'permissions') {
      throw new TypeError(
        `definitions.${role}.${key} is not a role property (expected inherits or permissions)`,
      )
    }
  }
  const { inherits = [], permissions = [] } = definition as {
    inherits?: unknown
    permissions?: unknown
  }
  return {
    inherits: parseNames(inherits, `definitions.${role}.inherits`),
    permissions: parseNames(permissions, `definitions.${role}.permissions`),
  }
}

function parseNames(names: unknown, path: string): readonly string[] {
  if (!Array.isArray(names)) throw new TypeError(`${path} must be an array of strings`)
  for (const [index, name] of names.entries()) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`${path}[${index}] must be a non-empty string`)
    }
  }
  return names as string[]
}

function toRoleList(roles: unknown): readonly string[] {
  if (typeof roles === 'string') return [roles]
  if (Array.isArray(roles) && roles.every((role) => typeof role === 'string')) return roles
  throw new TypeError('roles must be a role name or an array of role names')
}

import { describe, expect, it } from 'vitest'
import { ALL_PERMISSIONS, defineRoles } from './defineRoles.ts'
import { ForbiddenError } from './ForbiddenError.ts'

const definitions = {
  listener: ['tracks:read', 'moods:write'],
  curator: { inherits: ['listener'], permissions: ['playlists:write'] },
  editor: { inherits: ['curator'], permissions: ['tracks:tag'] },
  moderator: { permissions: ['comments:delete'] },
  staff: { inherits: ['editor', 'moderator'] },
  admin: ['*'],
} as const

describe('defineRoles', () => {
  const policy = defineRoles(definitions)

  it('grants direct permissions', () => {
    expect(policy.can(['listener'], 'tracks:read')).toBe(true)
    expect(policy.can(['listener'], 'playlists:write')).toBe(false)
    expect(policy.can(['moderator'], 'comments:delete')).toBe(true)
  })

  it('grants inherited permissions, transitively and from several parents', () => {
    expect(policy.can(['curator'], 'tracks:read')).toBe(true)
    expect(policy.can(['editor'], 'tracks:read')).toBe(true)
    expect(policy.can(['editor'], 'playlists:write')).toBe(true)
    expect(policy.can(['staff'], 'comments:delete')).toBe(true)
    expect(policy.can(['staff'], 'tracks:tag')).toBe(true)
    expect(policy.can(['curator'], 'tracks:tag')).toBe(false)
    expect(policy.can(['moderator'], 'tracks:read')).toBe(false)
  })

  it('does not pass permissions down to parents', () => {
    expect(policy.can(['listener'], 'tracks:tag')).toBe(false)
  })

  it("grants everything to '*'", () => {
    expect(ALL_PERMISSIONS).toBe('*')
    for (const permission of ['tracks:read', 'comments:delete', 'playlists:write'] as const) {
      expect(policy.can(['admin'], permission)).toBe(true)
    }
  })

  it('grants when any one of several roles does, and accepts a single role name', () => {
    expect(policy.can(['listener', 'moderator'], 'comments:delete')).toBe(true)
    expect(policy.can('curator', 'playlists:write')).toBe(true)
    expect(policy.can([], 'tracks:read')).toBe(false)
  })

  it('grants nothing to unknown roles, including names of Object.prototype members', () => {
    for (const role of ['guest', 'Admin', '*', '__proto__', 'constructor', 'toString', '']) {
      expect(policy.can([role], 'tracks:read')).toBe(false)
    }
  })

  it('assert passes silently or throws ForbiddenError naming the permission', () => {
    expect(policy.assert(['curator'], 'playlists:write')).toBeUndefined()
    expect(() => policy.assert(['listener'], 'playlists:write')).toThrow(ForbiddenError)
    try {
      policy.assert(['listener', 'guest'], 'playlists:write')
      expect.unreachable()
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_FORBIDDEN', permission: 'playlists:write' })
    }
  })

  it('works when its methods are detached from the policy', () => {
    const { can, assert } = policy
    expect(can(['listener'], 'tracks:read')).toBe(true)
    expect(() => assert(['listener'], 'tracks:tag')).toThrow(ForbiddenError)
  })

  it('lists its roles and is frozen', () => {
    expect(policy.roles).toEqual(['listener', 'curator', 'editor', 'moderator', 'staff', 'admin'])
    expect(Object.isFrozen(policy)).toBe(true)
    expect(Object.isFrozen(policy.roles)).toBe(true)
  })

  it('is not affected by later changes to the definitions', () => {
    const mutable = { listener: ['tracks:read'], admin: ['*'] }
    const frozenPolicy = defineRoles(mutable)
    mutable.listener.push('tracks:delete')
    expect(frozenPolicy.can(['listener'], 'tracks:delete')).toBe(false)
  })

  it('refuses malformed roles and permissions at call time with TypeError', () => {
    expect(() => policy.can('listener' as never, '' as never)).toThrow(TypeError)
    expect(() => policy.can([42] as never, 'tracks:read')).toThrow(
      new TypeError('roles must be a role name or an array of role names'),
    )
    expect(() => policy.can(undefined as never, 'tracks:read')).toThrow(TypeError)
  })
})

describe('defineRoles rejects bad definitions at definition time', () => {
  it.each([
    [{ a: { inherits: ['a'] } }, /definitions\.a\.inherits: inheritance cycle a -> a/],
    [
      { a: { inherits: ['b'] }, b: { inherits: ['a'] } },
      /definitions\.a\.inherits: inheritance cycle a -> b -> a/,
    ],
    [
      { x: ['p'], a: { inherits: ['x', 'c'] }, b: { inherits: ['a'] }, c: { inherits: ['b'] } },
      /inheritance cycle a -> c -> b -> a/,
    ],
  ])('refuses inheritance cycles (%#)', (bad, message) => {
    expect(() => defineRoles(bad as never)).toThrow(TypeError)
    expect(() => defineRoles(bad as never)).toThrow(message)
  })

  it('accepts a diamond, which is not a cycle', () => {
    const diamond = defineRoles({
      base: ['read'],
      left: { inherits: ['base'], permissions: ['left'] },
      right: { inherits: ['base'], permissions: ['right'] },
      top: { inherits: ['left', 'right'] },
    })
    expect(diamond.can('top', 'read')).toBe(true)
    expect(diamond.can('top', 'right')).toBe(true)
  })

  it.each([
    [{ a: { inherits: ['ghost'] } }, 'definitions.a.inherits: "ghost" is not a defined role'],
    [{ a: { inherit: ['b'] }, b: [] }, 'definitions.a.inherit is not a role property'],
    [{ a: 'read' }, 'definitions.a must be an array of permissions'],
    [{ a: ['read', ''] }, 'definitions.a[1] must be a non-empty string'],
    [{ a: ['read', 7] }, 'definitions.a[1] must be a non-empty string'],
    [{ a: { permissions: 'read' } }, 'definitions.a.permissions must be an array of strings'],
    [{ a: { inherits: [null] } }, 'definitions.a.inherits[0] must be a non-empty string'],
    [{ '': ['read'] }, 'role names must not be empty'],
  ])('refuses %j', (bad, message) => {
    expect(() => defineRoles(bad as never)).toThrow(TypeError)
    expect(() => defineRoles(bad as never)).toThrow(message)
  })

  it('refuses definitions that are not an object', () => {
    for (const bad of [null, undefined, [], 'admin']) {
      expect(() => defineRoles(bad as never)).toThrow(TypeError)
    }
  })
})

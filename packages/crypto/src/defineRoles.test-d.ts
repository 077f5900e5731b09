// Type tests: checked by `tsc -p packages/crypto` (the package's typecheck), not run by vitest.
// Each @ts-expect-error must really be an error, or tsc fails on the unused directive.
import { expectTypeOf } from 'vitest'
import {
  defineRoles,
  type PermissionsOf,
  type Policy,
  type RolePermissions,
} from './defineRoles.ts'

const policy = defineRoles({
  listener: ['tracks:read', 'moods:write'],
  curator: { inherits: ['listener'], permissions: ['playlists:write'] },
  admin: ['*'],
})

expectTypeOf(policy).toEqualTypeOf<
  Policy<'listener' | 'curator' | 'admin', 'tracks:read' | 'moods:write' | 'playlists:write'>
>()
expectTypeOf(policy.roles).toEqualTypeOf<readonly ('listener' | 'curator' | 'admin')[]>()
expectTypeOf(policy.can)
  .parameter(1)
  .toEqualTypeOf<'tracks:read' | 'moods:write' | 'playlists:write'>()
// Roles usually come from a token, so any strings are accepted.
expectTypeOf(policy.can).parameter(0).toEqualTypeOf<string | readonly string[]>()

// @ts-expect-error: a permission no role names is a typo.
policy.can(['listener'], 'tracks:delete')
// @ts-expect-error: the same for assert.
policy.assert(['listener'], 'playlist:write')

// @ts-expect-error: inherits may only name defined roles.
defineRoles({ listener: ['tracks:read'], curator: { inherits: ['listner'] } })

// Only wildcards: any permission string.
expectTypeOf(defineRoles({ root: ['*'] }).can)
  .parameter(1)
  .toEqualTypeOf<string>()

expectTypeOf<
  PermissionsOf<{ a: readonly ['x', '*']; b: { permissions: readonly ['y'] } }>
>().toEqualTypeOf<'x' | 'y'>()

expectTypeOf<
  RolePermissions<{ inherits: readonly ['listener']; permissions: readonly ['playlists:write'] }>
>().toEqualTypeOf<'playlists:write'>()
expectTypeOf<RolePermissions<readonly ['a', 'b']>>().toEqualTypeOf<'a' | 'b'>()

export { encodeBase64url, decodeBase64url } from './base64url.ts'
export {
  createKeyAgreement,
  DEFAULT_CREATE_KEY_AGREEMENT_OPTIONS,
  type CreateKeyAgreementOptions,
  type KeyAgreement,
} from './createKeyAgreement.ts'
export { decrypt } from './decrypt.ts'
export { decryptJson } from './decryptJson.ts'
export { DecryptionFailedError } from './DecryptionFailedError.ts'
export { decryptText } from './decryptText.ts'
export {
  ALL_PERMISSIONS,
  defineRoles,
  type PermissionsOf,
  type Policy,
  type RoleDefinition,
  type RoleDefinitions,
  type RolePermissions,
} from './defineRoles.ts'
export {
  DEFAULT_DERIVE_KEY_OPTIONS,
  DEFAULT_PBKDF2_ITERATIONS,
  deriveKey,
  MIN_PBKDF2_ITERATIONS,
  MIN_SALT_LENGTH,
  type DeriveKeyOptions,
} from './deriveKey.ts'
export {
  deriveSessionKey,
  MIN_SESSION_SALT_LENGTH,
  type DeriveSessionKeyOptions,
} from './deriveSessionKey.ts'
export { encrypt, type EncryptOptions } from './encrypt.ts'
export { encryptJson } from './encryptJson.ts'
export { exportKey, type ExportKeyOptions } from './exportKey.ts'
export { ForbiddenError } from './ForbiddenError.ts'
export {
  DEFAULT_GENERATE_KEY_OPTIONS,
  generateKey,
  type GenerateKeyOptions,
} from './generateKey.ts'
export { DEFAULT_IMPORT_KEY_OPTIONS, importKey, type ImportKeyOptions } from './importKey.ts'
export { InvalidKeyError } from './InvalidKeyError.ts'
export { MoodlensCryptoError, type MoodlensCryptoErrorCode } from './MoodlensCryptoError.ts'

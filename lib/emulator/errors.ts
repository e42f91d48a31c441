/** KMS exceptions, named exactly as AWS names them, each carrying its HTTP status. */

export class KmsError extends Error {
  readonly status: number = 400;
  constructor(message: string) {
    super(message);
  }
  /** The AWS error code (`__type`); spelled out per class because bundlers may rename classes. */
  readonly code: string = 'KmsError';
}

export class AccessDeniedException extends KmsError {
  override readonly code = 'AccessDeniedException';
}
export class AlreadyExistsException extends KmsError {
  override readonly code = 'AlreadyExistsException';
}
export class ConflictException extends KmsError {
  override readonly code = 'ConflictException';
}
export class CustomKeyStoreNotFoundException extends KmsError {
  override readonly code = 'CustomKeyStoreNotFoundException';
}
export class DisabledException extends KmsError {
  override readonly code = 'DisabledException';
}
export class DryRunOperationException extends KmsError {
  override readonly code = 'DryRunOperationException';
}
export class ExpiredImportTokenException extends KmsError {
  override readonly code = 'ExpiredImportTokenException';
}
export class IncorrectKeyException extends KmsError {
  override readonly code = 'IncorrectKeyException';
}
export class IncorrectKeyMaterialException extends KmsError {
  override readonly code = 'IncorrectKeyMaterialException';
}
export class InvalidAliasNameException extends KmsError {
  override readonly code = 'InvalidAliasNameException';
}
export class InvalidArnException extends KmsError {
  override readonly code = 'InvalidArnException';
}
export class InvalidCiphertextException extends KmsError {
  override readonly code = 'InvalidCiphertextException';
}
export class InvalidGrantIdException extends KmsError {
  override readonly code = 'InvalidGrantIdException';
}
export class InvalidGrantTokenException extends KmsError {
  override readonly code = 'InvalidGrantTokenException';
}
export class InvalidImportTokenException extends KmsError {
  override readonly code = 'InvalidImportTokenException';
}
export class InvalidKeyUsageException extends KmsError {
  override readonly code = 'InvalidKeyUsageException';
}
export class InvalidMarkerException extends KmsError {
  override readonly code = 'InvalidMarkerException';
}
export class KMSInvalidMacException extends KmsError {
  override readonly code = 'KMSInvalidMacException';
}
export class KMSInvalidSignatureException extends KmsError {
  override readonly code = 'KMSInvalidSignatureException';
}
export class KMSInvalidStateException extends KmsError {
  override readonly code = 'KMSInvalidStateException';
}
export class KeyUnavailableException extends KmsError {
  override readonly code = 'KeyUnavailableException';
}
export class LimitExceededException extends KmsError {
  override readonly code = 'LimitExceededException';
}
export class MalformedPolicyDocumentException extends KmsError {
  override readonly code = 'MalformedPolicyDocumentException';
}
export class NotFoundException extends KmsError {
  override readonly code = 'NotFoundException';
}
export class TagException extends KmsError {
  override readonly code = 'TagException';
}
export class UnsupportedOperationException extends KmsError {
  override readonly code = 'UnsupportedOperationException';
}
/** Generic AWS protocol errors (not KMS-specific, but what AWS answers). */
export class ValidationException extends KmsError {
  override readonly code = 'ValidationException';
}
export class SerializationException extends KmsError {
  override readonly code = 'SerializationException';
}
export class UnknownOperationException extends KmsError {
  override readonly code = 'UnknownOperationException';
}
export class InvalidSignatureException extends KmsError {
  override readonly code = 'InvalidSignatureException';
}
export class IncompleteSignatureException extends KmsError {
  override readonly code = 'IncompleteSignatureException';
}
export class UnrecognizedClientException extends KmsError {
  override readonly code = 'UnrecognizedClientException';
}
export class MissingAuthenticationTokenException extends KmsError {
  override readonly code = 'MissingAuthenticationTokenException';
  override readonly status = 403;
}
export class KMSInternalException extends KmsError {
  override readonly code = 'KMSInternalException';
  override readonly status = 500;
}

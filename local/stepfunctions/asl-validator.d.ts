// asl-validator 4 ships no typings; this is the part of its CommonJS export the service uses.
declare module 'asl-validator' {
  interface AslValidatorResult {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  }
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidatorResult;
  export default aslValidator;
}

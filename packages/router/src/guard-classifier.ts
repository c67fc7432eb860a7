// A caller's error classifier made safe on the failure path: a throw or an unknown class falls back to the default.
import { type ClassifiedError, classifyError, type ErrorClassifier, errorClasses } from './error-class.ts';

function isClassified(value: unknown): value is ClassifiedError {
  const errorClass = (value as Partial<ClassifiedError> | null | undefined)?.errorClass;
  return (errorClasses as readonly unknown[]).includes(errorClass);
}

/**
 * A classifier's bug must not become the caller's error, nor leave a half-open probe slot taken for good (the
 * deployment would get no traffic again): what it cannot classify, the built-in classifier does.
 */
export function guardClassifier(classify: ErrorClassifier): ErrorClassifier {
  return (error) => {
    try {
      const classified = classify(error);
      if (isClassified(classified)) return classified;
    } catch {
      // Falls through to the default below.
    }
    return classifyError(error);
  };
}

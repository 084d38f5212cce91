/** Kubernetes object-name rules (RFC 1123), as the API server applies them. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63 characters.
 *
 * @public
 */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= 253 &&
    value
      .split('.')
      .every(label => label.length > 0 && DNS1123_LABEL.test(label))
  );
}

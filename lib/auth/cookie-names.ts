/** The session cookie's names: plain over http, `__Host-` prefixed (Secure, path /, no domain) over https. */
export const PLAIN_SESSION_COOKIE = 'keydeck_session';
export const SECURE_SESSION_COOKIE = '__Host-keydeck_session';

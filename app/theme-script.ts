/**
 * Runs in <head> before first paint so a stored or system dark theme never flashes light. Kept as a
 * string: it must be inline and tiny, and it has to agree with components/shell/theme-toggle.tsx.
 */
export const THEME_STORAGE_KEY = 'keydeck-theme';

export const themeScript = `(function(){try{var t=localStorage.getItem('${THEME_STORAGE_KEY}');var d=t==='dark'||(t!=='light'&&window.matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.classList.toggle('dark',d)}catch(e){}})()`;

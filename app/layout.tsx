import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { Providers } from './providers';
import { themeScript } from './theme-script';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Keydeck', template: '%s · Keydeck' },
  description: 'A self-hosted web console for AWS KMS.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#fafafa' },
    { media: '(prefers-color-scheme: dark)', color: '#09090b' },
  ],
};

export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  // proxy.ts's per-request CSP nonce; reading it also renders every page per request, as nonces need.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    // The theme script changes <html>'s class before hydration, so React must not complain about it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-dvh font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}

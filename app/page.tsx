import { redirect } from 'next/navigation';

/** The console opens on the key inventory. */
export default function HomePage(): never {
  redirect('/keys');
}

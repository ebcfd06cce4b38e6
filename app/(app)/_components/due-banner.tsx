// Placeholder until the connections work lands: renders nothing.
export async function DueBanner({ userId: _userId }: { userId: string }) {
  return null;
}

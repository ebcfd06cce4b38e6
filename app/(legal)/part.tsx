/** One headed part of a policy page: its heading, then its paragraph. */
export function Part({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <>
      <h2 className="pt-2 text-lg font-semibold">{title}</h2>
      <p>{children}</p>
    </>
  );
}

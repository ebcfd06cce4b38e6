/** A titled card on the settings, data and operator pages; its heading names the region for screen readers. */
export function SectionCard({
  id,
  title,
  children,
}: {
  id: string;
  title: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="mt-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-black/5"
    >
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

type Column = { label: string; className: string };

/** A table that scrolls sideways on a narrow screen, and by keyboard; its column headings from a list. */
export function ScrollTable({
  columns,
  className = "mt-3 overflow-x-auto",
  headRow,
  children,
}: {
  columns: Column[];
  className?: string;
  headRow?: string;
  children: React.ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a table wider than a phone (WCAG 2.1.1)
    <div className={className} tabIndex={0}>
      <table className="w-full text-left text-sm">
        <thead>
          <tr className={headRow}>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.className}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

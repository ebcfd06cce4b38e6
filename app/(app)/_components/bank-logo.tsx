/** The bank's own logo from TrueLayer's logo_uri (an SVG); a lettered tile when there is none. */
export function BankLogo({ name, src }: { name: string; src: string | null }) {
  if (!src) {
    return (
      <span
        aria-hidden="true"
        className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-brand-100 font-bold text-brand-800"
      >
        {name.slice(0, 1).toUpperCase()}
      </span>
    );
  }
  return (
    // biome-ignore lint/performance/noImgElement: logos are small remote SVGs that next/image refuses without config
    <img src={src} alt={`${name} logo`} width={40} height={40} className="size-10 shrink-0 rounded-lg" />
  );
}

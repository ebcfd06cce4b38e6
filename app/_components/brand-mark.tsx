import { brand } from "@/lib/brand";

/** The deployer's logo (if any) and name, as the link text of every header. */
export function BrandMark() {
  const { appName, logoUrl } = brand();
  return (
    <span className="inline-flex items-center gap-2">
      {logoUrl ? (
        // biome-ignore lint/performance/noImgElement: a deployer's logo from any host, shown at its own size
        <img src={logoUrl} alt="" width={28} height={28} className="size-7 object-contain" />
      ) : null}
      {appName}
    </span>
  );
}

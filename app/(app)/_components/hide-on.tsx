"use client";

import { usePathname } from "next/navigation";

/** Renders its children except on the given path prefixes (a banner has no place where it points). */
export function HideOn({ prefixes, children }: { prefixes: string[]; children: React.ReactNode }) {
  const pathname = usePathname();
  return prefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`)) ? null : children;
}

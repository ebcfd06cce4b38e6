import { OpenShell } from "@/app/_components/open-shell";

/** Pages anyone may read, signed in or out. */
export default function LegalLayout({ children }: { children: React.ReactNode }) {
  return <OpenShell>{children}</OpenShell>;
}

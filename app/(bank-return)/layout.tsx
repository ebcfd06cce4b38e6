import { OpenShell } from "@/app/_components/open-shell";

// The bank sends people back here, possibly in a browser without our cookies. The signed-in shell's
// layout would send them to sign in with its own return address; this page must come back to itself.
export const dynamic = "force-dynamic";

export default function BankReturnLayout({ children }: { children: React.ReactNode }) {
  return <OpenShell>{children}</OpenShell>;
}

import type { Metadata } from "next";
import { BackLink, TextLink } from "@/app/_components/links";
import { requireRecentSignIn } from "@/lib/auth/step-up";
import { getConnectionsForUser } from "@/lib/connections/queries";
import { sharingBanks } from "@/lib/users/delete-words";
import { DeleteAccountForm } from "./_components/delete-account-form";
import { WhatHappens } from "./_components/what-happens";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Delete your account" };

export default async function DeleteAccountPage() {
  const { user } = await requireRecentSignIn("/settings/delete");
  const banks = sharingBanks(await getConnectionsForUser(user.id));

  return (
    <>
      <h1 className="text-2xl font-bold">Delete your account</h1>
      <section className="mt-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-black/5">
        <h2 className="text-lg font-semibold">What happens</h2>
        <WhatHappens banks={banks} />
        <p className="mt-4 text-sm text-muted">
          Want a copy first? <TextLink href="/settings/data">See and download your data</TextLink>.
        </p>
        <DeleteAccountForm />
      </section>
      <BackLink href="/settings">Keep my account</BackLink>
    </>
  );
}

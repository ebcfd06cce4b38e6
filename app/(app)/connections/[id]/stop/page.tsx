import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/reminder-session";
import { getConnectionForUser } from "@/lib/connections/queries";
import { isRecordId } from "@/lib/ids";
import { StopSharingForm } from "../../../_components/stop-sharing-form";
import { StoppedNotice } from "../../../_components/stopped-notice";
import { WhatStopping } from "./what-stopping";

export const metadata: Metadata = { title: "Stop sharing" };

export default async function StopSharingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, only } = await requireActor(`/connections/${encodeURIComponent(id)}/stop`, [id]);
  const connection = isRecordId(id) ? await getConnectionForUser(id, user.id) : null;
  if (!connection) notFound();
  if (connection.status === "REVOKED") {
    // A reminder link's session cannot open the dashboard, so it is told here.
    if (!only) redirect("/connections");
    return (
      <>
        <h1 className="mb-4 text-2xl font-bold sm:text-3xl">Sharing stopped</h1>
        <StoppedNotice connection={connection} />
      </>
    );
  }
  const bank = connection.providerName;

  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">Stop sharing data from {bank}?</h1>
      <WhatStopping bank={bank} />
      <StopSharingForm connectionId={connection.id} />
    </div>
  );
}

import { ConnectionsLink } from "@/app/_components/links";

export default function ConnectionNotFound() {
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold sm:text-3xl">We couldn't find that</h1>
      <p className="text-base">This bank connection doesn't exist or isn't yours.</p>
      <ConnectionsLink className="" strong />
    </div>
  );
}

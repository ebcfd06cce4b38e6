/** Says plainly that the page is a template until the deployer writes their own. */
export function PlaceholderNote({ file }: { file: string }) {
  return (
    <div role="note" className="mt-4 rounded-lg bg-amber-50 p-4 text-base ring-1 ring-amber-300">
      <p className="font-semibold">Placeholder text</p>
      <p className="mt-1">
        Whoever runs this service must replace this page with their own before going live (edit{" "}
        <code className="break-words">{file}</code>, or point the environment variable at their own page).
      </p>
    </div>
  );
}

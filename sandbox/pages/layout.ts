export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const style = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#f3f4f6}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem 3rem}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.brand{font-size:.875rem;color:#4b5563;margin:0 0 1rem}
h1{font-size:1.375rem;line-height:1.3;margin:0 0 .75rem}
h2{font-size:1.0625rem;margin:1.25rem 0 .5rem}
p,ul{margin:0 0 .75rem}
ul{padding-left:1.25rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;padding:.625rem .75rem;font:inherit;border:1px solid #6b7280;border-radius:8px}
button{font:inherit;cursor:pointer;border-radius:8px;padding:.625rem 1rem;min-height:44px}
.primary{background:#0b4f8a;color:#fff;border:0;width:100%;margin-top:1rem}
.secondary{background:#fff;color:#0b4f8a;border:1px solid #0b4f8a;width:100%;margin-top:.75rem}
.banks{list-style:none;padding:0}
.banks li{margin:0 0 .5rem}
.bank{display:flex;align-items:center;gap:.75rem;width:100%;background:#fff;border:1px solid #d1d5db;text-align:left;color:#111}
.bank img,.logo{width:40px;height:40px;flex:none}
.bank-head{display:flex;align-items:center;gap:.75rem;margin-bottom:1rem}
.error{background:#fef2f2;border:1px solid #b91c1c;color:#7f1d1d;border-radius:8px;padding:.75rem;margin:0 0 1rem}
.note{font-size:.875rem;color:#4b5563}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
code{word-break:break-all}
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
<p class="brand">TrueLayer sandbox (simulated)</p>
<div class="card">
${body}
</div>
</main>
</body>
</html>`;
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1>\n<p role="alert">${esc(message)}</p>`);
}

export function alert(message: string | undefined): string {
  return message ? `<div class="error" role="alert">${esc(message)}</div>` : "";
}

// A valid local environment for every test file; integration tests point parts of it elsewhere
// (test/integration.ts) before the app first reads it.
const defaults: Record<string, string> = {
  RECONSENT_MODE: "test",
  APP_URL: "http://127.0.0.1:3999",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:1/not-used-until-a-test-sets-it",
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
  TOKEN_ENCRYPTION_KEY_ID: "k1",
  TRUELAYER_TARGET: "simulator",
  TRUELAYER_CLIENT_ID: "sandbox-reconsent-unit",
  TRUELAYER_CLIENT_SECRET: "unit-client-secret",
  TRUELAYER_AUTH_URL: "http://127.0.0.1:1",
  TRUELAYER_API_URL: "http://127.0.0.1:1",
  SMTP_URL: "smtp://127.0.0.1:1",
  EMAIL_FROM: "Reconsent <no-reply@reconsent.localhost>",
};

for (const [key, value] of Object.entries(defaults)) process.env[key] ??= value;

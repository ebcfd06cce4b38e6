// A complete local environment as parseEnv sees it, for the env and brand tests to vary.
export const LOCAL_ENV = {
  APP_URL: "http://localhost:3000",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test",
  AUTH_SECRET: "k".repeat(40),
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  TRUELAYER_CLIENT_ID: "sandbox-reconsent-test",
  TRUELAYER_CLIENT_SECRET: "s3cr3t-value",
  TRUELAYER_AUTH_URL: "http://127.0.0.1:3001",
  TRUELAYER_API_URL: "http://127.0.0.1:3001",
  SMTP_URL: "smtp://127.0.0.1:2525",
  EMAIL_FROM: "Reconsent <no-reply@example.test>",
};

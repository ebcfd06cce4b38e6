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

// A complete production environment a careful deployer would write (self-hosted behind one proxy).
// The secrets are fixed random strings that were never used anywhere.
export const PRODUCTION_ENV: Record<string, string | undefined> = {
  NODE_ENV: "production",
  APP_URL: "https://consent.budgetly.co.uk",
  DATABASE_URL: "postgresql://reconsent:hunter2-db@db.budgetly.co.uk:5432/reconsent?sslmode=require",
  AUTH_SECRET: "hnFRVAWn2rBQMJ/htH0UyoV1OeCBwRVGwbaKeCHhocA=",
  CONSENT_SUBJECT_KEY: "nsK7lLLlLO+aIHCM2nYzBWUhu4i3yli0kdpj1TcDfIc=",
  TOKEN_ENCRYPTION_KEY: "LAOXKBAj7txJNYGJ/MmqWdbRTjgtolOY827hJjYf1DY=",
  TOKEN_ENCRYPTION_KEY_ID: "k2",
  TRUELAYER_TARGET: "production",
  TRUELAYER_CLIENT_ID: "budgetly-4f9a2c",
  TRUELAYER_CLIENT_SECRET: "NHOvsIJ9tjZZSEhCbljGwRm0zTm60pEXFEipulJ3Wr4=",
  SMTP_URL: "smtps://mailer:m41l-pass@smtp.mailprovider.co.uk:465",
  EMAIL_FROM: "Budgetly <no-reply@budgetly.co.uk>",
  CRON_SECRET: "uKjsGM1iNJlYQ6zZaWe54M+ix3Tx0lkOvoTd7Ge+qrs=",
  TRUSTED_PROXY_HOPS: "1",
  APP_NAME: "Budgetly",
  SHARING_PURPOSE: "So Budgetly can track your spending against your plan.",
  PRIVACY_URL: "https://budgetly.co.uk/privacy",
  TERMS_URL: "https://budgetly.co.uk/terms",
  SUPPORT_EMAIL: "help@budgetly.co.uk",
};

/** Fixed ports for the end-to-end stack (config and workers must agree without talking). */
export const E2E_PORTS = {
  app: Number(process.env.E2E_APP_PORT || 3100),
  sandbox: Number(process.env.E2E_SANDBOX_PORT || 3101),
  inboxHttp: Number(process.env.E2E_INBOX_HTTP_PORT || 3102),
  inboxSmtp: Number(process.env.E2E_INBOX_SMTP_PORT || 2526),
};

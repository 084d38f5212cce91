export interface Config {
  clearml?: {
    health?: {
      /** How long one endpoint probe (api /debug.ping, files /, web /) may take, in seconds (default 3). */
      probeTimeoutSeconds?: number;
    };
  };
}

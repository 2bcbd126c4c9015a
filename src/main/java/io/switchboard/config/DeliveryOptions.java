package io.switchboard.config;

/** How soon what the event bus lost is delivered anyway. */
public class DeliveryOptions {

  public static final int DEFAULT_REPAIR_INTERVAL_MS = 2_000;

  private int repairIntervalMs = DEFAULT_REPAIR_INTERVAL_MS;

  static DeliveryOptions read(ConfigReader r) {
    DeliveryOptions o = new DeliveryOptions();
    o.repairIntervalMs = r.integer(Setting.DELIVERY_REPAIR_INTERVAL_MS, DEFAULT_REPAIR_INTERVAL_MS, 100, 60_000);
    return o;
  }

  /**
   * Every event loop reads the heads of the streams it follows this often and fetches from the log
   * what the bus did not bring: a stored message reaches every online session within this plus a
   * store round trip, and a kick or membership change takes effect within it, whatever the bus lost.
   */
  public int getRepairIntervalMs() {
    return repairIntervalMs;
  }
}

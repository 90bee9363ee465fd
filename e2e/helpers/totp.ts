// TOTP codes as the parent's phone would show them. The server refuses a code at or below
// the last accepted time step, so each helper call moves to a later step (waiting if needed).
import { generate } from 'otplib';

const PERIOD = 30;

export class Phone {
  private lastStep = 0;
  constructor(readonly secret: string) {}

  /** A code for a step after the last one used: now's step, or the next (±1 step is accepted). */
  async nextCode(): Promise<string> {
    for (;;) {
      const nowStep = Math.floor(Date.now() / 1000 / PERIOD);
      const step = Math.max(nowStep, this.lastStep + 1);
      if (step <= nowStep + 1) {
        this.lastStep = step;
        return generate({ secret: this.secret, epoch: step * PERIOD + 1 });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

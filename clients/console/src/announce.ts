// A critical alert that arrives live is announced: the tab title flashes until the page is looked at, a screen
// reader hears it (aria-live), and, only if the user switched them on here, a browser notification and a short
// beep (WebAudio, generated: no sound file).
import type { Alert } from '@tocsin/client';

const SOUND_KEY = 'tocsin.console.sound';
const NOTIFY_KEY = 'tocsin.console.notify';

export class Announcer {
  private readonly baseTitle = document.title;
  private flashTimer: number | undefined;
  private audio: AudioContext | null = null;
  private unseen = 0;

  constructor(private readonly live: HTMLElement, private readonly soundBox: HTMLInputElement,
    private readonly notifyBox: HTMLInputElement) {
    soundBox.checked = localStorage.getItem(SOUND_KEY) === 'on';
    notifyBox.checked = localStorage.getItem(NOTIFY_KEY) === 'on' && 'Notification' in window
      && Notification.permission === 'granted';
    if (!('Notification' in window)) notifyBox.disabled = true;
    soundBox.addEventListener('change', () => {
      localStorage.setItem(SOUND_KEY, soundBox.checked ? 'on' : 'off');
      if (soundBox.checked) this.beep(); // the click is the user gesture that lets the AudioContext start
    });
    notifyBox.addEventListener('change', () => void this.toggleNotifications());
    const seen = (): void => {
      if (document.visibilityState === 'visible' && document.hasFocus()) this.stopFlash();
    };
    document.addEventListener('visibilitychange', seen);
    window.addEventListener('focus', seen);
    document.addEventListener('pointerdown', () => this.stopFlash());
    document.addEventListener('keydown', () => this.stopFlash());
  }

  critical(alert: Alert): void {
    this.unseen++;
    this.live.textContent = `Critical alert: ${alert.title}`;
    this.flash();
    if (this.soundBox.checked) this.beep();
    if (this.notifyBox.checked && 'Notification' in window && Notification.permission === 'granted') {
      const note = new Notification(`Critical: ${alert.title}`, { body: `${alert.source}: ${alert.message}`.slice(0, 300), tag: alert.id });
      note.onclick = () => {
        window.focus();
        window.location.hash = `#/alerts/${encodeURIComponent(alert.id)}`;
      };
    }
  }

  private flash(): void {
    if (this.flashTimer !== undefined) return;
    let on = false;
    this.flashTimer = window.setInterval(() => {
      on = !on;
      document.title = on ? `(${this.unseen}) CRITICAL · ${this.baseTitle}` : this.baseTitle;
    }, 1000);
    document.title = `(${this.unseen}) CRITICAL · ${this.baseTitle}`;
  }

  private stopFlash(): void {
    if (this.flashTimer === undefined) return;
    window.clearInterval(this.flashTimer);
    this.flashTimer = undefined;
    this.unseen = 0;
    document.title = this.baseTitle;
  }

  private beep(): void {
    try {
      this.audio ??= new AudioContext();
      const ctx = this.audio;
      void ctx.resume();
      for (const [start, freq] of [[0, 880], [0.25, 660], [0.5, 880]] as const) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.2, ctx.currentTime + start);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + start + 0.2);
        osc.connect(gain).connect(ctx.destination);
        osc.start(ctx.currentTime + start);
        osc.stop(ctx.currentTime + start + 0.2);
      }
    } catch {
      // no audio here: the title and notification still work
    }
  }

  private async toggleNotifications(): Promise<void> {
    if (this.notifyBox.checked && Notification.permission !== 'granted') {
      const answer = await Notification.requestPermission();
      if (answer !== 'granted') this.notifyBox.checked = false;
    }
    localStorage.setItem(NOTIFY_KEY, this.notifyBox.checked ? 'on' : 'off');
  }
}

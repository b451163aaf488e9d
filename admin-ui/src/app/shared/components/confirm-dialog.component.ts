import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  effect,
  input,
  output,
  viewChild,
} from '@angular/core';

let nextId = 0;

/**
 * A modal confirmation on the native `<dialog>` (focus trapped, Escape cancels, focus returns
 * to the opener). Open it by setting `open`; it emits `confirmed` or `cancelled`.
 */
@Component({
  selector: 'bkg-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog #dlg class="dialog" [attr.aria-labelledby]="id + '-title'" [attr.aria-describedby]="id + '-msg'"
            (cancel)="$event.preventDefault(); cancelled.emit()">
      <h2 [id]="id + '-title'">{{ title() }}</h2>
      <p [id]="id + '-msg'">{{ message() }}</p>
      <div class="row end">
        <button type="button" class="btn" (click)="cancelled.emit()">Cancel</button>
        <button type="button" class="btn" [class.danger]="danger()" (click)="confirmed.emit()">{{ confirmLabel() }}</button>
      </div>
    </dialog>
  `,
})
export class ConfirmDialogComponent {
  readonly open = input(false);
  readonly title = input('Are you sure?');
  readonly message = input('');
  readonly confirmLabel = input('Confirm');
  readonly danger = input(true);
  readonly confirmed = output<void>();
  readonly cancelled = output<void>();
  protected readonly id = `confirm-${nextId++}`;
  private readonly dlg = viewChild.required<ElementRef<HTMLDialogElement>>('dlg');

  constructor() {
    effect(() => {
      const d = this.dlg().nativeElement;
      if (this.open() && !d.open) d.showModal();
      if (!this.open() && d.open) d.close();
    });
  }
}

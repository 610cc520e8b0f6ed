import type { DemoUser } from '../config';
import { alertIn, busy, byId, h } from '../dom';
import { errorMessage } from '../api';

/** The sign-in form, with the sandbox's demo users as one-click hints. */
export function signInView(options: { demoUsers: readonly DemoUser[]; signIn(email: string, password: string): Promise<void> }) {
  const form = byId<HTMLFormElement>('sign-in-form');
  const email = byId<HTMLInputElement>('email');
  const password = byId<HTMLInputElement>('password');
  const error = byId('sign-in-error');
  const submit = byId<HTMLButtonElement>('sign-in-submit');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    alertIn(error, undefined);
    void busy(submit, () => options.signIn(email.value.trim(), password.value)).catch((failure: unknown) => alertIn(error, errorMessage(failure)));
  });

  const hints = byId('demo-users');
  const passwords = new Set(options.demoUsers.map((user) => user.password));
  hints.hidden = options.demoUsers.length === 0;
  byId('demo-password').textContent = [...passwords].join(' / ');
  byId('demo-user-list').replaceChildren(
    ...options.demoUsers.map((user) =>
      h(
        'li',
        {},
        h('button', {
          type: 'button',
          class: 'link',
          text: user.email,
          onclick: () => {
            email.value = user.email;
            password.value = user.password;
            submit.focus();
          },
        }),
        ` ${user.groups.join(', ')}`,
      ),
    ),
  );

  return {
    /** Shows the form (emptying the password) or hides it. */
    show(visible: boolean): void {
      byId('sign-in').hidden = !visible;
      if (visible) {
        password.value = '';
        email.focus();
      }
    },
  };
}

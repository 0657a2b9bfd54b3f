// The survey team's login form: posts JSON, then goes to the page asked for.
const form = document.getElementById('login') as HTMLFormElement;
const error = document.getElementById('login-error')!;
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.textContent = '';
  const field = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: field('email'), password: field('password') }),
  });
  if (res.ok) {
    // The server checked `next` (a path of this site only) and put it on the form.
    const next = form.dataset.next || '/admin';
    location.href = next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/admin';
  } else {
    // The page's own language: the server's messages are English.
    error.textContent = (res.status === 429 ? form.dataset.tooMany : form.dataset.failed) ?? '';
  }
});

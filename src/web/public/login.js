// The survey team's login form: posts JSON, then goes to the page asked for.
(() => {
  const form = document.getElementById('login');
  const error = document.getElementById('login-error');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.email.value, password: form.password.value }),
    });
    if (res.ok) {
      const next = new URLSearchParams(location.search).get('next');
      location.href = next?.startsWith('/') && !next.startsWith('//') ? next : '/admin';
    } else {
      const body = await res.json().catch(() => ({}));
      error.textContent = body.message || 'Login failed';
    }
  });
})();

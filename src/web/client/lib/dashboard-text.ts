// The words dashboard.ts writes into the dashboard, in both languages (imported by the page's
// script, and by the tests that look for the other language's words in each page).

export const DASHBOARD_SCRIPT_TEXT = {
  fr: {
    publishedSince: 'Publiés depuis le',
    snapshot: 'instantané',
    notPublished: 'Non publiés',
    withdraw: 'Retirer la publication',
    publish: 'Publier',
    steps: ['Population', 'Invités', 'Ouvert', 'Commencé', 'Complété'],
  },
  en: {
    publishedSince: 'Published since',
    snapshot: 'snapshot',
    notPublished: 'Not published',
    withdraw: 'Withdraw',
    publish: 'Publish',
    steps: ['Population', 'Invited', 'Opened', 'Started', 'Completed'],
  },
};

/** The two languages of the dashboard; the choice is kept in localStorage. */
export type Lang = 'en' | 'fr';

const en = {
  appTitle: 'PharmaExpress',
  switchLang: 'Français',
  skip: 'Skip to content',
  views: 'Views',
  customerView: 'Order medicines',
  staffView: 'Staff dashboard',
  signIn: 'Sign in',
  signOut: 'Sign out',
  register: 'Create an account',
  email: 'Email',
  password: 'Password',
  name: 'Name',
  language: 'Language of emails',
  signedInAs: 'Signed in as',
  connection: 'Live updates',
  'conn.connecting': 'connecting…',
  'conn.connected': 'connected',
  'conn.disconnected': 'disconnected, retrying…',
  staffOnly: 'This page is for pharmacy staff. Sign in with a staff account.',
  board: 'Orders by status',
  noOrders: 'No orders',
  detail: 'Order detail',
  customer: 'Customer',
  items: 'Items',
  total: 'Total',
  created: 'Placed',
  updated: 'Last change',
  history: 'History',
  moveTo: 'Move to',
  cancel: 'Cancel order',
  close: 'Close',
  stock: 'Stock',
  search: 'Search',
  searchCatalogue: 'Search the catalogue',
  sku: 'SKU',
  medicine: 'Medicine',
  price: 'Price',
  available: 'Available',
  restock: 'Restock',
  quantity: 'Quantity',
  restocked: 'Stock updated',
  add: 'Add to order',
  cart: 'Your order',
  cartEmpty: 'Nothing yet: search the catalogue and add medicines.',
  prescription: 'Prescription reference (for prescription-only medicines)',
  placeOrder: 'Place order',
  orderPlaced: 'Order placed',
  myOrders: 'My orders',
  rxOnly: 'prescription only',
  remove: 'Remove',
  reason: 'Reason',
  'status.PENDING': 'Pending',
  'status.CONFIRMED': 'Confirmed',
  'status.REJECTED': 'Rejected',
  'status.PREPARING': 'Preparing',
  'status.READY': 'Ready',
  'status.DELIVERED': 'Delivered',
  'status.CANCELLED': 'Cancelled',
  'error.UNAUTHENTICATED':
    'You are not signed in, or the email and password do not match.',
  'error.FORBIDDEN': 'Your account may not do this.',
  'error.BAD_USER_INPUT': 'Some of what you entered is not valid.',
  'error.NOT_FOUND': 'This order does not exist or is not yours.',
  'error.CONFLICT':
    'This is no longer possible: the order or account changed meanwhile.',
  'error.TOO_MANY_REQUESTS': 'Too many attempts. Wait a moment and try again.',
  'error.SERVICE_UNAVAILABLE':
    'The service is busy. Try again in a few seconds.',
  'error.NETWORK': 'The server cannot be reached. Check your connection.',
  'error.UNKNOWN': 'Something went wrong on our side. Try again later.',
};

type Key = keyof typeof en;

const fr: Record<Key, string> = {
  appTitle: 'PharmaExpress',
  switchLang: 'English',
  skip: 'Aller au contenu',
  views: 'Vues',
  customerView: 'Commander des médicaments',
  staffView: 'Tableau de bord du personnel',
  signIn: 'Se connecter',
  signOut: 'Se déconnecter',
  register: 'Créer un compte',
  email: 'E-mail',
  password: 'Mot de passe',
  name: 'Nom',
  language: 'Langue des e-mails',
  signedInAs: 'Connecté en tant que',
  connection: 'Mises à jour en direct',
  'conn.connecting': 'connexion…',
  'conn.connected': 'connecté',
  'conn.disconnected': 'déconnecté, nouvel essai…',
  staffOnly:
    'Cette page est réservée au personnel de la pharmacie. Connectez-vous avec un compte du personnel.',
  board: 'Commandes par statut',
  noOrders: 'Aucune commande',
  detail: 'Détail de la commande',
  customer: 'Client',
  items: 'Articles',
  total: 'Total',
  created: 'Passée le',
  updated: 'Dernier changement',
  history: 'Historique',
  moveTo: 'Passer à',
  cancel: 'Annuler la commande',
  close: 'Fermer',
  stock: 'Stock',
  search: 'Rechercher',
  searchCatalogue: 'Rechercher dans le catalogue',
  sku: 'Référence',
  medicine: 'Médicament',
  price: 'Prix',
  available: 'Disponible',
  restock: 'Réapprovisionner',
  quantity: 'Quantité',
  restocked: 'Stock mis à jour',
  add: 'Ajouter à la commande',
  cart: 'Votre commande',
  cartEmpty:
    'Rien pour l’instant : cherchez dans le catalogue et ajoutez des médicaments.',
  prescription: 'Référence de l’ordonnance (médicaments sur ordonnance)',
  placeOrder: 'Commander',
  orderPlaced: 'Commande passée',
  myOrders: 'Mes commandes',
  rxOnly: 'sur ordonnance',
  remove: 'Retirer',
  reason: 'Motif',
  'status.PENDING': 'En attente',
  'status.CONFIRMED': 'Confirmée',
  'status.REJECTED': 'Refusée',
  'status.PREPARING': 'En préparation',
  'status.READY': 'Prête',
  'status.DELIVERED': 'Livrée',
  'status.CANCELLED': 'Annulée',
  'error.UNAUTHENTICATED':
    'Vous n’êtes pas connecté, ou l’e-mail et le mot de passe ne correspondent pas.',
  'error.FORBIDDEN': 'Votre compte ne permet pas cette action.',
  'error.BAD_USER_INPUT': 'Une partie de la saisie n’est pas valide.',
  'error.NOT_FOUND': 'Cette commande n’existe pas ou n’est pas la vôtre.',
  'error.CONFLICT':
    'Ce n’est plus possible : la commande ou le compte a changé entre-temps.',
  'error.TOO_MANY_REQUESTS':
    'Trop de tentatives. Patientez un instant puis réessayez.',
  'error.SERVICE_UNAVAILABLE':
    'Le service est occupé. Réessayez dans quelques secondes.',
  'error.NETWORK': 'Le serveur est injoignable. Vérifiez votre connexion.',
  'error.UNKNOWN':
    'Une erreur est survenue de notre côté. Réessayez plus tard.',
};

const DICTIONARIES: Record<Lang, Record<Key, string>> = { en, fr };

let current: Lang = localStorage.getItem('lang') === 'fr' ? 'fr' : 'en';

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem('lang', next);
  document.documentElement.lang = next;
}

/** The text of `key` in the current language. */
export function t(key: Key): string {
  return DICTIONARIES[current][key];
}

/** A sentence for an API error code; unknown codes get a generic one. */
export function errorText(code: string): string {
  const key = `error.${code}` as Key;
  return key in en ? t(key) : t('error.UNKNOWN');
}

export function statusText(status: string): string {
  const key = `status.${status}` as Key;
  return key in en ? t(key) : status;
}

export function money(cents: number | null, currency: string): string {
  if (cents === null) return '—';
  return new Intl.NumberFormat(current === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'currency',
    currency,
  }).format(cents / 100);
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(current === 'fr' ? 'fr-FR' : 'en-GB');
}

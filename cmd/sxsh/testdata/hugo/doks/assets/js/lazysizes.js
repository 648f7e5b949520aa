import 'lazysizes';

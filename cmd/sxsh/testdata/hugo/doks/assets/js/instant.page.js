import 'instant.page';
